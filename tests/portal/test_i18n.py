"""Patient-facing portal text goes through the gettext catalogue; Spanish is complete."""

from __future__ import annotations

from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from painpath.web.routes_portal import LOCALE_DIR, gettext_for
from tests.conftest import World, web_login


def test_i18n_spanish_catalogue_translates_every_message() -> None:
    with (LOCALE_DIR / "portal.pot").open("rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    with (LOCALE_DIR / "es" / "LC_MESSAGES" / "portal.po").open("rb") as f:
        spanish = {m.id: m.string for m in read_po(f) if m.id}
    assert template <= set(spanish)
    assert [m for m, text in spanish.items() if not text] == []


def test_i18n_compiled_catalogue_is_used_with_placeholders() -> None:
    _ = gettext_for("es")
    assert _("Saved. Thank you, %(name)s.", name="Ada") == "Guardado. Gracias, Ada."
    assert gettext_for("en")("Save entry") == "Save entry"


def test_i18n_my_day_in_spanish_is_remembered(app_client: TestClient, world: World) -> None:
    web_login(app_client, world, "ada")
    page = app_client.get("/me?lang=es")
    assert '<html lang="es">' in page.text
    assert "¿Cómo estás ahora?" in page.text and "Guardar anotación" in page.text
    assert "lunes 2 marzo" in page.text  # the date in Spanish (2 March 2026 is a Monday)
    again = app_client.get("/me")  # the choice is kept in a cookie
    assert "¿Cómo estás ahora?" in again.text
    assert "How are you right now?" in app_client.get("/me?lang=en").text
