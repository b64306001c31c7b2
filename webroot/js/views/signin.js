// #/signin?next=<path> — the sign-in form of a hub with users. It talks only to /api/session;
// the page opens its event bus after a sign-in, never before.

import { h, setText } from '../dom.js';
import { signIn } from '../session.js';

/**
 * Mounts the form into container. opts: {notice: text shown above the form (why we are here),
 * signedIn(who): called after the hub accepted the password, or told us it asks no one}.
 */
export function mountSignIn(container, ctx, opts) {
  ctx.setCrumbs(null);
  ctx.setTitle('Sign in');

  const user = h('input', {
    id: 'signin-user', name: 'username', type: 'text', autocomplete: 'username', required: true, maxlength: '64',
    autocapitalize: 'none', autocorrect: 'off', spellcheck: 'false',
  });
  const password = h('input', {
    id: 'signin-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true,
    maxlength: '1024', 'aria-describedby': 'signin-error',
  });
  const error = h('p', { id: 'signin-error', class: 'form-error', role: 'alert', hidden: true });
  const notice = h('p', { id: 'signin-notice', class: 'form-note', role: 'status', hidden: !opts.notice }, opts.notice || '');
  const submit = h('button', { id: 'signin-submit', class: 'btn primary', type: 'submit' }, 'Sign in');
  const form = h('form', { id: 'signin-form', class: 'signin-form', method: 'post', action: '/api/session', 'aria-labelledby': 'signin-h' },
    h('div', { class: 'field' }, h('label', { for: 'signin-user' }, 'User name'), user),
    h('div', { class: 'field' }, h('label', { for: 'signin-password' }, 'Password'), password),
    error,
    submit);

  container.append(h('section', { class: 'panel signin', id: 'signin' },
    h('h1', { id: 'signin-h' }, 'Sign in'),
    h('p', { class: 'muted lead' }, 'This hub shows its devices to signed-in users only.'),
    notice,
    form));

  let busy = false;
  let disposed = false;

  function showError(text) {
    setText(error, text);
    error.hidden = !text;
    password.setAttribute('aria-invalid', String(Boolean(text)));
  }

  function setBusy(on) {
    busy = on;
    submit.disabled = on;
    form.setAttribute('aria-busy', String(on));
    setText(submit, on ? 'Signing in…' : 'Sign in');
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (busy) return;
    if (!form.reportValidity()) return;
    notice.hidden = true;
    showError('');
    setBusy(true);
    let r;
    try {
      r = await signIn(user.value.trim(), password.value);
    } catch (err) {
      r = { ok: false, error: 'Cannot reach the hub. Check the connection and try again.' };
    }
    if (disposed) return;
    if (r.ok) {
      opts.signedIn(r.who);
      return;
    }
    if (r.status === 409) {
      // The hub asks no one (its users file is gone): nothing to sign in to.
      opts.signedIn(null);
      return;
    }
    setBusy(false);
    showError(r.retryAfter ? `${r.error} (in ${waitText(r.retryAfter)})` : r.error);
    password.value = '';
    password.focus();
  });

  // The name first, or the password when the browser filled the name in.
  (user.value ? password : user).focus();

  return {
    destroy() {
      disposed = true;
    },
  };
}

function waitText(seconds) {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
