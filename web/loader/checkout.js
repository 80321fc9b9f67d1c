/*! anet-checkout loader. Served by the relay at /checkout.js.
 *
 * <div id="checkout"></div>
 * <script src="https://pay.example.com/checkout.js"
 *         data-session="CLIENT_TOKEN" data-target="#checkout"
 *         data-locale="es" data-redirect="/thanks"
 *         data-color-primary="#0a7" data-radius="4px" data-font="Georgia, serif"></script>
 *
 * Creates the payment iframe inside the target, sizes it to its content, and
 * turns the widget's messages into DOM events on the target element:
 * anet:ready, anet:approved, anet:declined, anet:error, each with
 * detail = {session, transaction_id, brand, last4, code, message}.
 * anet:approved is cancelable: preventDefault() stops data-redirect.
 * Any number of script tags (widgets) may be on one page.
 */
(function () {
  'use strict';

  var THEME = ['color-primary', 'color-text', 'color-background', 'color-error',
    'color-border', 'radius', 'font', 'font-size', 'theme'];
  var EVENTS = { ready: 1, approved: 1, declined: 1, error: 1 };

  function mount(script) {
    if (script.getAttribute('data-anet-mounted')) return;
    script.setAttribute('data-anet-mounted', '1');

    var session = script.getAttribute('data-session');
    var selector = script.getAttribute('data-target');
    var target = selector ? document.querySelector(selector) : null;
    if (!session || !target) {
      if (window.console) console.error('anet-checkout: data-session and data-target (an existing element) are required');
      return;
    }

    // The relay that served this script also serves the widget.
    var relay = new URL(script.src, document.baseURI).origin;
    var src = new URL('/widget/', relay);
    var q = src.searchParams;
    q.set('session', session);
    q.set('origin', window.location.origin);
    // Without data-locale the widget follows the shopper's browser language.
    var locale = script.getAttribute('data-locale');
    if (locale) q.set('locale', locale);
    for (var i = 0; i < THEME.length; i++) {
      var v = script.getAttribute('data-' + THEME[i]);
      if (v) q.set(THEME[i], v);
    }

    var frame = document.createElement('iframe');
    frame.src = src.href;
    frame.title = script.getAttribute('data-title') || 'Secure card payment';
    frame.setAttribute('allow', 'payment');
    frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
    frame.setAttribute('scrolling', 'no');
    frame.style.width = '100%';
    frame.style.border = '0';
    frame.style.display = 'block';
    frame.style.height = '360px';
    target.appendChild(frame);

    var redirect = script.getAttribute('data-redirect');

    window.addEventListener('message', function (event) {
      // Only our iframe, only from the relay's origin.
      if (event.origin !== relay || event.source !== frame.contentWindow) return;
      var m = event.data;
      if (!m || typeof m !== 'object' || m.source !== 'anet-checkout') return;

      if (m.type === 'resize') {
        var h = Number(m.height);
        if (h > 0 && h < 10000) frame.style.height = Math.ceil(h) + 'px';
        return;
      }
      if (!EVENTS[m.type]) return;

      var detail = {
        session: session,
        transaction_id: m.transaction_id || null,
        brand: m.brand || null,
        last4: m.last4 || null,
        code: m.code || null,
        message: m.message || null
      };
      var ev = new CustomEvent('anet:' + m.type, {
        detail: detail, bubbles: true, cancelable: m.type === 'approved'
      });
      var proceed = target.dispatchEvent(ev);
      if (m.type === 'approved' && redirect && proceed) go(redirect, detail);
    });
  }

  function go(redirect, detail) {
    var url;
    try { url = new URL(redirect, document.baseURI); } catch (e) { return; }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
    if (detail.transaction_id) url.searchParams.set('transaction_id', detail.transaction_id);
    window.location.assign(url.href);
  }

  function scan() {
    var scripts = document.querySelectorAll('script[data-session]');
    for (var i = 0; i < scripts.length; i++) {
      if (/\/checkout\.js(\?|#|$)/.test(scripts[i].src)) mount(scripts[i]);
    }
  }

  var current = document.currentScript;
  var run = function () {
    if (current && current.getAttribute('data-session')) mount(current);
    scan();
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', run);
  } else {
    run();
  }
})();
