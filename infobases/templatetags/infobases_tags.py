from django import template

from infobases.badges import status_badge

register = template.Library()

# {% infobase_status infobase %}: the status badge (and the lock's) of one infobase.
register.simple_tag(status_badge, name="infobase_status")
