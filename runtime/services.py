"""The process's shared parts: settings, catalog, database, and models loaded once per process.

Models load lazily (first use) so that a process which never routes or transcribes never loads them.
The API hands these to handlers through FastAPI dependencies (api/deps.py); workers use them directly;
tests may pre-fill any of them.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.settings import InboxSettings, Settings
from runtime.inbox import Inbox
from whatsapp.client import WhatsAppClient


@dataclass
class Services:
    settings: Settings
    worker_settings: InboxSettings | None = None  # default: settings.inbox
    catalog: Any = None
    session_factory: Any = None
    vault: Any = None
    inbox: Inbox | None = None
    whatsapp: WhatsAppClient | None = None
    _router: Any = None
    _transcriber: Any = None
    _matcher: Any = None
    _bot: Any = None
    _connector: Any = None
    _certificates: Any = None
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def start(cls, settings: Settings, **given) -> Services:
        """Open the database (migrating it), load the catalog and make the WhatsApp client if configured."""
        from catalog.loader import load_catalog
        from core.db import Vault, init_db, make_session_factory

        services = cls(settings=settings, **given)
        services.worker_settings = services.worker_settings or settings.inbox
        if services.catalog is None:
            services.catalog = load_catalog()
        if services.session_factory is None:
            services.session_factory = make_session_factory(init_db(settings.sqlalchemy_url))
        services.vault = services.vault or Vault(settings.secret_key)
        services.inbox = services.inbox or Inbox(services.session_factory, services.vault)
        if services.whatsapp is None and settings.whatsapp_phone_number_id and settings.whatsapp_access_token:
            services.whatsapp = WhatsAppClient.from_settings(settings)
        return services

    def close(self) -> None:
        if self.whatsapp is not None:
            self.whatsapp.close()

    def _once(self, name: str, build: Callable[[], Any]) -> Any:
        with self._lock:
            if getattr(self, name) is None:
                setattr(self, name, build())
            return getattr(self, name)

    def router(self):
        """The loaded router, its routing decisions counted for /metrics."""
        from runtime.metrics import CountingRouter

        def build():
            from nlu.router import Router

            s = self.settings
            return Router.load(s.model_version, catalog=self.catalog, models_root=s.model_root,
                               encoder_name=s.embedding_model, threads=s.inference_threads)
        return CountingRouter(self._once("_router", build))

    def transcriber(self):
        def build():
            from voice.transcriber import load_transcriber

            s = self.settings
            return load_transcriber(s.asr_engine, s.asr_model, model_te=s.asr_model_te, model_en=s.asr_model_en,
                                    threads=s.inference_threads, max_seconds=s.max_audio_seconds,
                                    max_bytes=s.max_audio_bytes)
        return self._once("_transcriber", build)

    def matcher(self):
        def build():
            from nlu.voice_match import PhoneticMatcher

            return PhoneticMatcher(self.catalog)
        return self._once("_matcher", build)

    def bot(self):
        """mitra's own dialogue engine, or a Rasa server's (MITRA_DIALOGUE_ENGINE=rasa) behind the same handle()."""
        def build():
            if self.settings.dialogue_engine == "rasa":
                from bot.rasa_dialogue import RasaDialogue

                return RasaDialogue(self.settings.rasa_url)
            from bot.engine import Bot

            return Bot(self.catalog, self.router(), self.session_factory, self.connector(), self.settings,
                       matcher=self.matcher())
        return self._once("_bot", build)

    def connector(self):
        """Where applications go: the embedded department stand-in (records them, moves their statuses)."""
        def build():
            from applications.connectors import EmbeddedConnector

            return EmbeddedConnector.for_catalog(self.session_factory, self.catalog, self.settings)
        return self._once("_connector", build)

    def certificates(self):
        def build():
            from applications.certificates import CertificateRegistry

            return CertificateRegistry(self.session_factory, self.settings, self.catalog)
        return self._once("_certificates", build)
