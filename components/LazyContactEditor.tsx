// The contact form, fetched only when someone opens it, so the inbox's islands stay small.
import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

type EditorProps = Parameters<typeof import("./ContactEditor.tsx").ContactEditor>[0];

let loaded: ComponentType<EditorProps> | null = null;

/** Renders the contact form once its module has arrived (at once, the second time). */
export function LazyContactEditor(props: EditorProps) {
  const [Editor, setEditor] = useState<ComponentType<EditorProps> | null>(() => loaded);
  useEffect(() => {
    if (Editor) return;
    import("./ContactEditor.tsx").then((m) => {
      loaded = m.ContactEditor;
      setEditor(() => m.ContactEditor);
    }).catch(() => props.onClose());
  }, []);
  return Editor ? <Editor {...props} /> : null;
}
