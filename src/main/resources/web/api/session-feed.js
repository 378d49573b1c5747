// Live session updates over the shared live connection (api/live.js), turned into calls on the
// handlers the state layer passes in:
//   followSidebar({ onSessionsChanged, onStatus })
//   followSession(id, { onTurnStarted, onSessionUpdated, onTitle })
// Each returns { close }. However many tabs follow, the browser holds one connection.
import { watch } from './live.js';

export function followSidebar({ onSessionsChanged, onStatus = () => {} }) {
  const stops = [
    watch({ kind: 'sidebar' }, ({ data }) => onSessionsChanged(data)),
    watch({ kind: 'status' }, onStatus),
  ];
  return { close: () => stops.forEach((stop) => stop()) };
}

export function followSession(sessionId, { onTurnStarted, onSessionUpdated, onTitle }) {
  const stop = watch({ kind: 'session', id: sessionId }, ({ type, data }) => {
    if (data?.session_id !== sessionId) return;
    if (type === 'turn_started' && data.stream_id) onTurnStarted(data.stream_id);
    else if (type === 'session_updated') onSessionUpdated(data);
    else if (type === 'title' && data.title) onTitle(data.title);
  });
  return { close: stop };
}
