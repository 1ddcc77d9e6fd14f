// The `?` dialog: every keyboard shortcut registered right now, with its keys.
import { keysWords, shortcutList } from "@/lib/client/shortcuts.ts";
import { Modal } from "./Modal.tsx";

/** Lists the registered shortcuts (lib/client/shortcuts.ts) in a small dialog. */
export function ShortcutHelp(props: { open: boolean; onClose: () => void }) {
  // Keys registered twice (the same key in two places, for two situations) are listed once each.
  const seen = new Set<string>();
  const rows = shortcutList.value.filter((s) => {
    const k = `${s.keys}\n${s.label}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return (
    <Modal open={props.open} title="Keyboard shortcuts" size="sm" onClose={props.onClose}>
      <div class="modal-form">
        <dl class="shortcuts" data-testid="shortcuts">
          {rows.map((s) => (
            <div key={`${s.keys}:${s.label}`} class="shortcut">
              <dt>
                <kbd>{keysWords(s.keys)}</kbd>
              </dt>
              <dd>{s.label}</dd>
            </div>
          ))}
        </dl>
      </div>
    </Modal>
  );
}
