// The `?` dialog: every shortcut the page registered, with its key.
import { shortcutHelpOpen, shortcutList } from "@/lib/client/shortcuts.ts";
import { Modal } from "./Modal.tsx";

/** Lists the keyboard shortcuts while `?` has opened it. */
export function ShortcutHelp() {
  return (
    <Modal
      open={shortcutHelpOpen.value}
      title="Keyboard shortcuts"
      size="sm"
      onClose={() => shortcutHelpOpen.value = false}
    >
      <dl class="shortcut-list">
        {shortcutList.value.map((s) => (
          <div key={`${s.keys}:${s.label}`}>
            <dt>
              <kbd>{s.keys.replace("ArrowDown", "↓").replace("ArrowUp", "↑")}</kbd>
            </dt>
            <dd>{s.label}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}
