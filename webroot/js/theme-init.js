// Runs before the page paints: the theme remembered in localStorage, else the system's.
(function () {
  var t = null;
  try {
    t = localStorage.getItem('ifpulse.theme');
  } catch (e) {
    /* storage blocked */
  }
  if (t !== 'light' && t !== 'dark') {
    t = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }
  document.documentElement.dataset.theme = t;
})();
