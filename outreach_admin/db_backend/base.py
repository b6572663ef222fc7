"""Django's PostgreSQL backend, taught that our tables live in schemas.

Tables are named ``schema"."table`` (see ``outreach_admin.db.schema_table``) and their indexes
live in the table's schema, but Django drops an index by its bare name (``DROP INDEX IF EXISTS
"name"``), which resolves through ``search_path`` to ``public`` and silently drops nothing. The
schema editor here qualifies the index name with the table's schema, so ``RemoveIndex``, expression
``UniqueConstraint`` removal and ``migrate <app> zero`` really drop what they name.
"""

from django.db.backends.postgresql import base
from django.db.backends.postgresql.schema import DatabaseSchemaEditor as _SchemaEditor


def _schema_of(model) -> str | None:
    table = model._meta.db_table
    return table.split('"."', 1)[0] if '"."' in table else None


class DatabaseSchemaEditor(_SchemaEditor):
    def _qualify(self, statement, model):
        schema = _schema_of(model)
        if schema:
            name = statement.parts["name"]
            statement.parts["name"] = f"{self.quote_name(schema)}.{name}"
        return statement

    def _delete_index_sql(self, model, name, sql=None, concurrently=False):
        return self._qualify(super()._delete_index_sql(model, name, sql, concurrently), model)

    def _delete_constraint_sql(self, template, model, name):
        statement = super()._delete_constraint_sql(template, model, name)
        if template in (self.sql_delete_index, self.sql_delete_index_concurrently):
            return self._qualify(statement, model)
        return statement


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
