/**
 * Yields to the worker's event loop for one task, so that a pause or a reset sent by the page is handled
 * between two training steps. Not `setTimeout(fn, 0)`: browsers clamp nested timeouts to at least 4 ms (the
 * HTML timer rules, in workers too), which a training loop that yields after every step pays every step: a
 * 1.5 ms step then runs at a quarter of its speed. A message on a MessageChannel is a task of its own,
 * queued behind any message already waiting, and is not clamped.
 */
let channel: MessageChannel | null = null;
const waiting: (() => void)[] = [];

export function nextTask(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => waiting.shift()?.();
  }
  const port = channel.port2;
  return new Promise((resolve) => {
    waiting.push(resolve);
    port.postMessage(null);
  });
}
