/* global window, BaseAudioContext, AudioBufferSourceNode */
// Injected before the page loads (context.addInitScript): records the file behind every sound the page
// really starts, as window.played (names such as "ok", "parent-full"), by following the bytes from the fetch
// to the decoded buffer to AudioBufferSourceNode.start.
window.played = [];
const urlOf = new WeakMap();
const arrayBuffer = Response.prototype.arrayBuffer;
Response.prototype.arrayBuffer = async function () {
  const bytes = await arrayBuffer.call(this);
  urlOf.set(bytes, this.url);
  return bytes;
};
const decode = BaseAudioContext.prototype.decodeAudioData;
BaseAudioContext.prototype.decodeAudioData = async function (bytes, ...rest) {
  const url = urlOf.get(bytes) ?? '';
  const buffer = await decode.call(this, bytes, ...rest);
  urlOf.set(buffer, url);
  return buffer;
};
const start = AudioBufferSourceNode.prototype.start;
AudioBufferSourceNode.prototype.start = function (...args) {
  // Vite names a built file NAME-HASH.wav, the hash being 8 characters that may hold a dash.
  const file = (urlOf.get(this.buffer) ?? '').split('/').pop() ?? '';
  window.played.push(file.replace(/-[\w-]{8}\.wav$/, '') || 'unknown');
  return start.apply(this, args);
};
