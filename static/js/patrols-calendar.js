// The calendar page's "Copy" button: the private address to the clipboard, with a word that it
// worked. Without JavaScript (or a clipboard) the address stays selectable in its field.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.querySelector("[data-calendar-copy]");
    const field = document.querySelector("[data-calendar-url]");
    if (!button || !field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(
        () => {
          button.textContent = button.dataset.done;
        },
        () => {
          field.select();
        }
      );
    });
  });
})();
