"""Choice fields that offer the known codes but collect any: the services judge the codes and
name every unknown one at once, with the others problems of the input."""

from __future__ import annotations

from typing import Any

from django import forms


class CodesField(forms.MultipleChoiceField):
    """Offers the known codes; any code is collected, the service names the unknown ones."""

    def valid_value(self, value: Any) -> bool:
        return True


class CodeField(forms.ChoiceField):
    def valid_value(self, value: Any) -> bool:
        return True
