// Small enhancements shared by every page. Pages work without them.
document.addEventListener("click", (event) => {
  // Close the account menu when tapping elsewhere, as people expect from a menu.
  const open = document.querySelector("details.account[open]");
  if (open && !open.contains(event.target)) open.removeAttribute("open");
});

// Send the CSRF token with htmx requests (Django reads it from this header).
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
