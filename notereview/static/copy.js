// Copies the suggested additions; the page works without this script (the text stays selectable).
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-target]");
  if (!button) { return; }
  var field = document.getElementById(button.dataset.target);
  field.select();
  var done = function () { button.textContent = "Copied"; };
  if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); }); }
  else { document.execCommand("copy"); done(); }
});
