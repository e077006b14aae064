#!/bin/sh
echo "api starting"
httpd -f -vv -p 80 -h /www &
wait $!
echo "api crashed" >&2
exit 1
