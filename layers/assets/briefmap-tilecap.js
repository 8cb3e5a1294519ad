/* briefmap: every tile the browser unpacks is capped, as in Python (layers/tiles/bounds.py).
 *
 * A user's PMTiles archive is served as the file it is, and protomaps-leaflet unpacks each
 * gzip tile with the browser's DecompressionStream: a tile of a few hundred KB may unpack to
 * gigabytes. Loaded after protomaps-leaflet and before any map is made, this wraps
 * DecompressionStream so that its output stops with an error one chunk past MAX_TILE_BYTES
 * (the pipe is cancelled, so the rest is never unpacked); the map then leaves that tile empty.
 * Nothing else on the page unpacks streams.
 */
(function () {
  "use strict";
  var Native = globalThis.DecompressionStream;
  var MAX_TILE_BYTES = 16000000; // = layers.tiles.bounds.MAX_TILE_INFLATED
  if (typeof Native !== "function" || Native.briefmapCap) return;

  function Capped(format) {
    var inner = new Native(format);
    var seen = 0;
    var cap = new TransformStream({
      transform: function (chunk, controller) {
        seen += chunk.byteLength;
        if (seen > MAX_TILE_BYTES) {
          var says = "briefmap: a tile unpacks to more than " + MAX_TILE_BYTES + " bytes; not drawn";
          console.warn(says); // the map leaves the tile empty and says nothing itself
          controller.error(new RangeError(says));
          return;
        }
        controller.enqueue(chunk);
      },
    });
    return { writable: inner.writable, readable: inner.readable.pipeThrough(cap) };
  }
  Capped.briefmapCap = MAX_TILE_BYTES;
  globalThis.DecompressionStream = Capped;
})();
