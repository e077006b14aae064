#!/bin/sh
# A cache server: it loads CACHE_MB megabytes into memory (in this shell, the container's main
# process) when it starts, then serves on port 80.
size="${CACHE_MB:-48}"
echo "cache: warming ${size} MB of cache"
cache=$(head -c "${size}m" /dev/zero | tr '\0' x)
echo "cache: warm (${#cache} bytes), serving on port 80"
mkdir -p /www
echo "<h1>cache ready (${size} MB)</h1>" > /www/index.html
unset cache
exec httpd -f -p 80 -h /www
