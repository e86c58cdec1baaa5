"""What every app's forms share."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django import forms

from plenary.core.errors import Refusal

if TYPE_CHECKING:  # type checkers see the mixin as a form; at run time it adds a method
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class RefusalFormMixin(_FormBase):
    """Show a service's :class:`Refusal` on the field it names (or on the whole form,
    when the form has no such field), so a refused action keeps what the person typed.

    Mix into a Django form: ``class MyForm(RefusalFormMixin, forms.Form)``.
    """

    # Service field name -> form field name, where they differ.
    refusal_fields: ClassVar[dict[str, str]] = {}

    def add_refusal(self, refusal: Refusal) -> None:
        name = self.refusal_fields.get(refusal.field or "", refusal.field)
        self.add_error(name if name in self.fields else None, str(refusal.message))
