{% load static %}// Trygghet's service worker. Its parts are static files with hashed names, so a new release
// changes this script and the browser installs the new worker.
importScripts("{% static 'js/sw-offline.js' %}", "{% static 'js/sw-push.js' %}");
