"""The few texts the API itself sends (the bot writes everything else), in English and Telugu."""
from __future__ import annotations

APOLOGY = ("Sorry, something went wrong while handling your message. Please send it again in a little while.\n"
           "క్షమించండి, మీ సందేశాన్ని ప్రాసెస్ చేయడంలో సమస్య వచ్చింది. కొద్దిసేపటి తర్వాత మళ్ళీ పంపండి.")


def voice_note_problem(reason: str) -> str:
    return (f"Sorry, I could not use that voice note: {reason}. Please try again or type your request.\n"
            "క్షమించండి, ఆ వాయిస్ నోట్‌ను ఉపయోగించలేకపోయాను. దయచేసి మళ్ళీ ప్రయత్నించండి లేదా టైప్ చేయండి.")

SLOW_DOWN = ("You have sent many messages in the last minute. Please wait a minute; then send your request again.\n"
             "మీరు గత నిమిషంలో చాలా సందేశాలు పంపారు. దయచేసి ఒక నిమిషం ఆగి, మీ అభ్యర్థనను మళ్ళీ పంపండి.")
