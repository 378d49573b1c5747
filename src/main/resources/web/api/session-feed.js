// Live session updates, turned into calls on the handlers the state layer passes in.
//   followSidebar({ onSessionsChanged })                       GET /api/sessions/events
//   followSession(id, { knownCount, onTurnStarted, onSessionUpdated, onTitle })
//                                                              GET /api/session/stream
// Connection budget (browsers allow 6 per origin on HTTP/1.1): the sidebar feed stays open;
// the state layer opens the session feed only while it is not watching a reply, so a tab holds
// at most two long-lived streams — the sidebar feed plus either the session feed or the reply.
import { openFeed } from './turn-stream.js';
import { sessionStreamUrl, sessionsEventsUrl } from './client.js';

export function followSidebar({ onSessionsChanged, onStatus }) {
  return openFeed({
    url: sessionsEventsUrl,
    events: ['sessions_changed'],
    onEvent: (_type, data) => onSessionsChanged(data),
    onStatus,
  });
}

export function followSession(sessionId, { knownCount, onTurnStarted, onSessionUpdated, onTitle }) {
  return openFeed({
    url: () => sessionStreamUrl(sessionId, knownCount()),
    events: ['initial', 'turn_started', 'session_updated', 'title'],
    onEvent: (type, data) => {
      if (data?.session_id && data.session_id !== sessionId) return;
      if (type === 'turn_started' && data?.stream_id) onTurnStarted(data.stream_id);
      else if (type === 'session_updated') onSessionUpdated(data);
      else if (type === 'title' && data?.title) onTitle(data.title);
    },
  });
}
