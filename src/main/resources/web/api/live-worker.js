// The SharedWorker that holds the browser's one live connection (api/event-hub.js) for every tab
// of this origin. A tab says hello with its id while holding a Web Lock named after it; the lock
// is released only when the tab is gone (closed, navigated, crashed), and that is when its
// watches end — a MessagePort tells no one when the other side goes away.
//
// Tab → worker: { op: 'hello', tab } | { op: 'watch', key, spec } | { op: 'unwatch', key } | { op: 'wake' }
//   | { op: 'bye' } (on pagehide, for browsers without Web Locks)
// Worker → tab: { key, msg }
import { EventHub } from './event-hub.js';

const hub = new EventHub(self);

self.addEventListener('connect', (event) => {
  const port = event.ports[0];
  const watches = new Map(); // key → stop function
  const endAll = () => {
    for (const stop of watches.values()) stop();
    watches.clear();
  };
  port.addEventListener('message', ({ data }) => {
    if (data.op === 'watch') {
      watches.get(data.key)?.();
      watches.set(data.key, hub.watch(data.spec, (msg) => port.postMessage({ key: data.key, msg })));
    } else if (data.op === 'unwatch') {
      watches.get(data.key)?.();
      watches.delete(data.key);
    } else if (data.op === 'hello') {
      self.navigator.locks?.request(`tether-tab-${data.tab}`, () => { endAll(); port.close(); });
    } else if (data.op === 'bye') {
      endAll();
    } else if (data.op === 'wake') {
      hub.wake();
    }
  });
  port.start();
});
