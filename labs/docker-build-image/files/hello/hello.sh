#!/bin/sh
# A tiny web app: writes its page, then serves it on port 8080.
mkdir -p /tmp/www
echo "<h1>Hello from your own image</h1><p>served by user $(id -u)</p>" > /tmp/www/index.html
echo "hello app listening on 8080"
exec httpd -f -vv -p 8080 -h /tmp/www
