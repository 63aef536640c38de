// ReDoc's sidebar shows Redocly's logo from their CDN, and no option turns it off. These pages
// load nothing from another host (the CSP's img-src is 'self' and data:), so an image from
// elsewhere gets an empty source instead, fails to load, and ReDoc hides it: no request, no
// CSP violation. Loaded before ReDoc's bundle, whose React sets an image's `src` property.
(function () {
  "use strict";
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) {
      const url = new URL(value, document.baseURI);
      src.set.call(this, url.protocol === "data:" || url.origin === location.origin ? value : "data:,");
    },
  });
})();
