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
    _documents: Any = None
    _departments: Any = None
    _ledger: Any = None
    _notifier: Any = None
    _lock: threading.RLock = field(default_factory=threading.RLock)

    @classmethod
    def start(cls, settings: Settings, **given) -> Services:
        """Open the database (migrating it), load the catalog and make the WhatsApp client if configured."""
        from catalog.loader import load_configured_catalog
        from core.db import Vault, init_db, make_session_factory

        services = cls(settings=settings, **given)
        services.worker_settings = services.worker_settings or settings.inbox
        if services.catalog is None:
            services.catalog = load_configured_catalog(settings)
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
                                    max_bytes=s.max_audio_bytes, vocabulary=self._vocabulary(self.catalog))
        return self._once("_transcriber", build)

    def _vocabulary(self, catalog):
        """The catalog's words recognition is biased toward, from the catalog being served (None: switched off)."""
        from voice.vocabulary import catalog_vocabulary

        s = self.settings
        return catalog_vocabulary(catalog, budget=s.asr_prompt_tokens) if s.asr_catalog_prompt else None

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
            return self._mitra_bot(self.catalog, self.router(), self.connector(), self.matcher())
        return self._once("_bot", build)

    def _mitra_bot(self, catalog, router, connector, matcher):
        from bot.engine import Bot

        return Bot(catalog, router, self.session_factory, connector, self.settings, matcher=matcher,
                   departments=self.departments(), ledger=self.ledger())

    def switch_catalog(self, catalog, router) -> None:
        """Serve `catalog` with `router` (the model trained on it) from now on, as one pair.

        The new dialogue is built completely before it replaces the old one in a single assignment, so a
        message is answered either wholly by the old pair or wholly by the new one; a message already being
        answered finishes on the pair it started with.
        """
        from applications.connectors import EmbeddedConnector
        from nlu.voice_match import PhoneticMatcher
        from runtime.metrics import CountingRouter

        with self._lock:
            connector = EmbeddedConnector.for_catalog(self.session_factory, catalog, self.settings)
            matcher = PhoneticMatcher(catalog)
            bot = self._bot
            if bot is not None and self.settings.dialogue_engine != "rasa":
                bot = self._mitra_bot(catalog, CountingRouter(router), connector, matcher)
            self.catalog, self._router, self._connector, self._matcher = catalog, router, connector, matcher
            if self._transcriber is not None:  # the new catalog's names bias recognition from now on
                self._transcriber.vocabulary = self._vocabulary(catalog)
            self._certificates = None
            self._bot = bot

    def connector(self):
        """Where applications go: the embedded department stand-in (records them, moves their statuses)."""
        def build():
            from applications.connectors import EmbeddedConnector

            connector = EmbeddedConnector.for_catalog(self.session_factory, self.catalog, self.settings,
                                                      departments=self.departments())
            connector.book.notifier = self.notifier()  # scheduled progress notifies like a callback
            return connector
        return self._once("_connector", build)

    def departments(self):
        """The department systems behind bills and bookings (the simulated store by default)."""
        def build():
            from departments import departments_from_settings

            return departments_from_settings(self.settings, self.session_factory)
        return self._once("_departments", build)

    def ledger(self):
        """Payment orders and gateway events (MITRA_PAYMENT_GATEWAY picks the gateway)."""
        def build():
            from payments import ledger_from_settings

            return ledger_from_settings(self.settings, self.session_factory, self.departments(), self.documents())
        return self._once("_ledger", build)

    def status_book(self):
        """applications.status.StatusBook: the one path for status changes (callbacks and the schedule)."""
        return self.connector().book

    def notifier(self):
        """runtime.notifications.Notifier: every proactive message goes through it."""
        def build():
            from runtime.notifications import Notifier

            return Notifier(self.session_factory, self.vault, self.settings, self.whatsapp,
                            documents={"certificate_issued": self._certificate_document})
        return self._once("_notifier", build)

    def _certificate_document(self, reference: str):
        from bot.replies import Document

        registry = self.connector().certificates or self.certificates()
        cert = registry.for_reference(reference)
        if cert is None:
            return None
        return Document(f"{reference}.pdf", registry.pdf(cert), "application/pdf")

    def certificates(self):
        def build():
            from applications.certificates import CertificateRegistry

            return CertificateRegistry(self.session_factory, self.settings, self.catalog)
        return self._once("_certificates", build)

    def documents(self):
        """The register of receipts and e-tickets (applications/documents.py)."""
        def build():
            from applications.documents import DocumentRegister

            return DocumentRegister(self.session_factory, self.settings)
        return self._once("_documents", build)
