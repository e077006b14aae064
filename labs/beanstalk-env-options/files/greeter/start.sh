#!/bin/sh
# Shows the environment properties the app was given, then serves the page.
mkdir -p /www
{
  echo "<h1>${GREETING:-no GREETING set}</h1>"
  echo "<p>log level: ${LOG_LEVEL:-not set}</p>"
} > /www/index.html
echo ok > /www/health
exec httpd -f -p 8080 -h /www
