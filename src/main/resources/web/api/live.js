// This tab's end of the shared live connection: watch(spec, onMessage) returns a stop function.
// With SharedWorker support every tab of the origin talks to one worker holding one connection
// (api/live-worker.js); without it (some mobile browsers) the tab holds its own hub, still one
// connection for everything it watches.
//
//   const stop = watch({ kind: 'turn', id: streamId, after: 0 }, ({ type, data, id }) => …);
import { EventHub } from './event-hub.js';

let channel = null;

function workerChannel() {
  const worker = new SharedWorker(new URL('./live-worker.js', import.meta.url), { type: 'module', name: 'tether-live' });
  const port = worker.port;
  const handlers = new Map();
  let next = 0;
  port.addEventListener('message', ({ data }) => handlers.get(data.key)?.(data.msg));
  port.start();
  const tab = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  // Held until this document goes away; the worker waits for it to end this tab's watches. Hello
  // goes only once the lock is held: sent earlier, the worker's request could be granted first.
  navigator.locks?.request(`tether-tab-${tab}`, () => {
    port.postMessage({ op: 'hello', tab });
    return new Promise(() => {});
  });
  // Where there are no Web Locks (a page not served from a secure context) the tab says goodbye.
  window.addEventListener('pagehide', () => port.postMessage({ op: 'bye' }));
  window.addEventListener('pageshow', (e) => { if (e.persisted) location.reload(); });
  return {
    watch(spec, onMessage) {
      const key = ++next;
      handlers.set(key, onMessage);
      port.postMessage({ op: 'watch', key, spec });
      return () => { handlers.delete(key); port.postMessage({ op: 'unwatch', key }); };
    },
    wake: () => port.postMessage({ op: 'wake' }),
  };
}

function pageChannel() {
  const hub = new EventHub(window);
  return { watch: (spec, onMessage) => hub.watch(spec, onMessage), wake: () => hub.wake() };
}

function connection() {
  if (channel) return channel;
  try {
    channel = typeof SharedWorker === 'function' ? workerChannel() : pageChannel();
  } catch {
    channel = pageChannel();
  }
  const wake = () => { if (document.visibilityState !== 'hidden') channel.wake(); };
  document.addEventListener('visibilitychange', wake);
  window.addEventListener('online', wake);
  return channel;
}

export function watch(spec, onMessage) {
  return connection().watch(spec, onMessage);
}
