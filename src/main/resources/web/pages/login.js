// The login page: posts name and password, then goes to the app. No inline script (CSP).
import * as api from '../api/client.js';

const form = document.querySelector('.login-form');
const error = document.querySelector('.page-error');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    await api.login(form.elements.name.value.trim(), form.elements.password.value);
    location.replace('/');
  } catch (e) {
    error.textContent = e.status === 429
      ? 'Too many failed attempts. Wait a few minutes and try again.'
      : e.status === 401 ? 'Wrong name or password.' : e.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});
