"""Words that stand inside messages as parameters: the states and steps of a return, the levels
of regions, the fields of a row, the kinds of things looked up. Each is passed as msg(word) where
the message is made (msg(current.status)); listing them here with msgid() is how Babel's
extraction finds them, so that each has its entry in the catalogue and a test sees one missing."""

from __future__ import annotations

from clusterwatch.problems import msgid

RETURN_STATES = (msgid("not started"), msgid("draft"), msgid("submitted"), msgid("returned"), msgid("approved"),
                 msgid("accepted"))
RETURN_STEPS = (msgid("submit"), msgid("approve"), msgid("unapprove"), msgid("return"), msgid("accept"))
REGION_LEVELS = (msgid("province"), msgid("city"), msgid("county"), msgid("town"), msgid("park"))
ROW_FIELDS = (msgid("unit"), msgid("period"), msgid("indicator"), msgid("cluster"), msgid("value"), msgid("status"),
              msgid("form"), msgid("region"))
ROLES = (msgid("province_admin"), msgid("department"), msgid("reporter"), msgid("approver"), msgid("enterprise_reporter"),
         msgid("viewer"))
KINDS = (msgid("plan"), msgid("data"), msgid("flag"), msgid("task"), msgid("user"), msgid("extracted item"),
         msgid("extraction run"), msgid("enterprise"), msgid("evaluation scheme"))
