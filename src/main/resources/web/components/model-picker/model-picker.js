// <t-model-picker> — chooses the model for the next reply (GET /api/models). The demo model is
// labelled as such in the list and with a badge when chosen.
//
//   <t-model-picker></t-model-picker>
import { store } from '../../state/store.js';
import { setModel } from '../../state/sidebar.js';
import { html, setHtml } from '../../lib/html.js';
import { icon } from '../../lib/icons.js';

const labelOf = (m) => {
  const label = m.label || m.id;
  return m.demo && !/demo/i.test(label) ? `${label} (demo)` : label;
};

export class ModelPicker extends HTMLElement {
  connectedCallback() {
    setHtml(this, html`<label class="mp"><span class="visually-hidden">Model</span>
      <select class="mp-select"></select><span class="mp-caret">${icon('chevron')}</span></label><span class="mp-demo" hidden title="Offline demo model: canned replies, no real LLM">Demo</span>`);
    this.select = this.querySelector('select');
    this.badge = this.querySelector('.mp-demo');
    this.select.addEventListener('change', () => setModel(this.select.value));
    this.unsubscribe = store.subscribe((s, changed) => {
      if (changed.has('models') || changed.has('model')) this.render(s);
    });
  }

  disconnectedCallback() { this.unsubscribe?.(); }

  render({ models, model }) {
    const list = models.some((m) => m.id === model) || !model ? models : [...models, { id: model, label: model }];
    this.hidden = !list.length;
    setHtml(this.select, html`${list.map((m) => html`
      <option value="${m.id}">${labelOf(m)}</option>`)}`);
    if (model) this.select.value = model;
    const chosen = list.find((m) => m.id === model);
    this.badge.hidden = !chosen?.demo || /demo/i.test(chosen.label || chosen.id);
  }
}
