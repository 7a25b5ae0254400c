"""`field__any_of=ids`: many integer ids in one array parameter instead of an IN list.

`subscriber_id__in=ids` compiles a placeholder and a parameter per id, and PostgreSQL parses an
IN list as long: at 100,000 ids that is about a second a query (the compensation proposal sends
three). `subscriber_id__any_of=ids` sends `= ANY('{1,2,…}'::bigint[])`, one text parameter that
PostgreSQL reads as an array (about 0.1 s at 100,000 ids). Integer columns and foreign keys to an
integer primary key only; other databases get the plain IN list.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignObject, IntegerField, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        # Ids only: int() refuses a model instance or a non-numeric string here, in the caller.
        return sorted({int(value) for value in self.rhs if value is not None})

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            array = "{" + ",".join(map(str, self.rhs)) + "}"
            db_type = self.lhs.output_field.db_type(connection)
            return f"{lhs} = ANY(%s::{db_type}[])", [*params, array]
        if not self.rhs:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]


def register() -> None:
    IntegerField.register_lookup(AnyOf)  # also the auto fields (their subclasses)
    ForeignObject.register_lookup(AnyOf)
