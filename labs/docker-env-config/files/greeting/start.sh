#!/bin/sh
# Renders its page from the environment, the way twelve-factor apps read configuration.
mkdir -p /tmp/www
cat > /tmp/www/index.html <<HTML
<h1>${APP_GREETING:-Hello}</h1>
<p>mode: ${APP_MODE:-development}</p>
<p>color: ${APP_COLOR:-grey}</p>
HTML
echo "greeting app (mode ${APP_MODE:-development}) listening on 8080"
exec httpd -f -p 8080 -h /tmp/www
