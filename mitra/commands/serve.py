"""mitra serve: the API (webhook, REST, chat) and the embedded worker (inbox and scheduled jobs) in one process."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(host: str = typer.Option("127.0.0.1", help="address to listen on"),
              port: int = typer.Option(8000, help="port to listen on"),
              log_level: str = typer.Option("info", help="uvicorn log level")) -> None:
        """Run the API and the embedded worker (settings from MITRA_* environment or .env); without WhatsApp
        settings the worker runs only the scheduled jobs (statuses, reminders, holds) for the web chat."""
        import uvicorn

        from api.app import create_app
        from core.settings import get_settings
        from runtime.observability import configure_logging

        configure_logging(log_level)  # JSON lines, personal numbers masked; each request is logged once by the app
        settings = get_settings()
        if "public_base_url" not in settings.model_fields_set:  # links in replies must reach this server
            local = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
            settings = settings.model_copy(update={"public_base_url": f"http://{local}:{port}"})
        uvicorn.run(create_app(settings), host=host, port=port, log_level=log_level, log_config=None,
                    access_log=False)
