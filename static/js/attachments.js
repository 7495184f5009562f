// The attachments page says a refusal first, at the top: a refused upload's summary (its messages link to the
// slot's control) or why the attachments cannot change now. The focus goes there, so that a keyboard or
// screen-reader user meets it first rather than the top of the page. Without this script the refused page still
// opens at the summary: the upload form's address ends with #error-summary. Its own file: the CSP allows no
// inline script.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});
