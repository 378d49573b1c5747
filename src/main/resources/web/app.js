// Boot: register the components (so the page is drawn at once, even while the Markdown
// libraries are still loading), connect the sidebar (models, list, feed), then, with the
// libraries loaded, open the session named in the URL.
import { loadMarkdown } from './lib/markdown.js';
import { TetherApp } from './components/app-shell/app-shell.js';
import { SessionList } from './components/session-list/session-list.js';
import { Transcript } from './components/transcript/transcript.js';
import { Message } from './components/message/message.js';
import { Composer } from './components/composer/composer.js';
import { ModelPicker } from './components/model-picker/model-picker.js';
import { Toasts } from './components/toast/toast.js';
import { loadModels, startSidebarFeed } from './state/sidebar.js';
import { loadSessions } from './state/sessions.js';
import { openSession, sessionFromUrl } from './state/conversation.js';
import { loadPreferences } from './state/preferences.js';

customElements.define('t-message', Message);
customElements.define('t-model-picker', ModelPicker);
customElements.define('t-session-list', SessionList);
customElements.define('t-transcript', Transcript);
customElements.define('t-composer', Composer);
customElements.define('t-toast', Toasts);
customElements.define('t-app', TetherApp);

loadPreferences();
loadModels();
loadSessions();
startSidebarFeed();
await loadMarkdown();
if (sessionFromUrl()) openSession(sessionFromUrl()); // else the new chat shown from the start stays
window.addEventListener('hashchange', () => openSession(sessionFromUrl()));
