// Starts the widget without an inline script (the iframe's CSP has no
// 'unsafe-inline'). Trunk writes the hashed file names into
// <meta name="anet-boot">; the wasm is fetched with the integrity digest of
// Trunk's preload link when there is one.
const boot = document.querySelector('meta[name="anet-boot"]');
if (boot) {
  const js = boot.getAttribute('data-js');
  const wasm = boot.getAttribute('data-wasm');
  const preload = document.querySelector('link[rel="preload"][as="fetch"]');
  const init = { credentials: 'same-origin' };
  if (preload && preload.integrity) init.integrity = preload.integrity;
  const mod = await import(js);
  await mod.default({ module_or_path: fetch(wasm, init) });
}
