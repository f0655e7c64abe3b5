import { dismiss, useStore } from '../store';

/** Messages for the user: errors say what is wrong and what to do. Rendered as text, never HTML. */
export function Notices() {
  const notices = useStore((s) => s.notices);
  if (!notices.length) return null;
  return (
    <div className="notices">
      {notices.map((n) => (
        <div key={n.text} className={`notice ${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <span>{n.text}</span>
          <button type="button" className="link" aria-label="Dismiss" onClick={() => dismiss(n.text)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
