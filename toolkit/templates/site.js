// Material's search dialog has no accessible name (axe-core: aria-dialog-name): give it the
// label of the search field it holds, in the site's language.
document.querySelectorAll('.md-search[role="dialog"]').forEach(function (dialog) {
  var field = dialog.querySelector(".md-search__input");
  if (field && !dialog.hasAttribute("aria-label")) {
    dialog.setAttribute("aria-label", field.getAttribute("aria-label"));
  }
});
