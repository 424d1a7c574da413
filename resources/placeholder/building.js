// Reloads the page (address and #token kept) until the screens are built. A meta refresh cannot do this: to the
// same address with a #fragment it is a same-page jump, not a reload.
setTimeout(() => globalThis.location.reload(), 3000);
