"""Progress bars for long management commands, drawn on the command's stderr."""

from tqdm import tqdm


class _Stream:
    """A command's stderr for tqdm: it redraws with "\\r", and Django's OutputWrapper would
    otherwise end every write with a newline."""

    def __init__(self, stderr):
        self.stderr = stderr

    def write(self, text):
        self.stderr.write(text, ending="")

    def flush(self):
        self.stderr.flush()


def progress_bar(command, **options):
    """tqdm(**options) on `command`'s stderr."""
    return tqdm(file=_Stream(command.stderr), **options)
