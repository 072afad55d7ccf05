"""Files that run inside Rasa's own virtual environment (not imported by mitra): the NLU component and actions."""
