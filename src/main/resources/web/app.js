// Boot: load the Markdown libraries, register the components, then connect the tab to the
// server (models, sidebar list and feed, the session named in the URL).
import { loadMarkdown } from './lib/markdown.js';
import { TetherApp } from './components/app-shell/app-shell.js';
import { SessionList } from './components/session-list/session-list.js';
import { Transcript } from './components/transcript/transcript.js';
import { Message } from './components/message/message.js';
import { Composer } from './components/composer/composer.js';
import { ModelPicker } from './components/model-picker/model-picker.js';
import { Toasts } from './components/toast/toast.js';
import { loadModels, loadSessions, startSidebarFeed } from './state/sidebar.js';
import { openSession, sessionFromUrl } from './state/conversation.js';

await loadMarkdown();

customElements.define('t-message', Message);
customElements.define('t-model-picker', ModelPicker);
customElements.define('t-session-list', SessionList);
customElements.define('t-transcript', Transcript);
customElements.define('t-composer', Composer);
customElements.define('t-toast', Toasts);
customElements.define('t-app', TetherApp);

loadModels();
loadSessions();
startSidebarFeed();
openSession(sessionFromUrl());
window.addEventListener('hashchange', () => openSession(sessionFromUrl()));
