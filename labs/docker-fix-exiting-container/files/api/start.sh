#!/bin/sh
echo "api 1.4.2 starting"
if [ -z "$DATABASE_URL" ]; then
  echo "error: DATABASE_URL is not set; the api cannot reach its database" >&2
  exit 1
fi
mkdir -p /tmp/www
echo "<h1>api ok</h1><p>database: ${DATABASE_URL}</p>" > /tmp/www/index.html
echo "api listening on 8080 (database ${DATABASE_URL})"
exec httpd -f -p 8080 -h /tmp/www
