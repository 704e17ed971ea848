type ToastAction = { label: string; run: () => unknown };
type Toast = { id: number; message: string; tone: 'info' | 'error'; action?: ToastAction };

export const toasts = $state<Toast[]>([]);
let next = 1;

export function dismiss(id: number) {
  const index = toasts.findIndex((t) => t.id === id);
  if (index >= 0) toasts.splice(index, 1);
}

// An action (Undo) keeps the toast up longer: people need time to react.
export function toast(message: string, options: { tone?: Toast['tone']; action?: ToastAction } = {}) {
  const id = next++;
  toasts.push({ id, message, tone: options.tone ?? 'info', action: options.action });
  setTimeout(() => dismiss(id), options.action ? 10_000 : 5_000);
}
