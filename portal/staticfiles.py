"""The few files of npm packages that pages load, found as static files (settings.NODE_STATIC_FILES).

`make install` runs `npm ci`; a package's folder holds far more than a page needs (ECharts' `dist` is some 50 MB
of builds and source maps, which collectstatic would copy and compress). This finder offers only the files named,
each under its static folder: {"vendor/echarts": ["echarts/dist/echarts.min.js"]} serves
`vendor/echarts/echarts.min.js`.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder, searched_locations
from django.core.checks import Warning as CheckWarning
from django.core.files.storage import FileSystemStorage


class NodePackageFinder(BaseFinder):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        root = Path(settings.NODE_MODULES_DIR)
        # static path → (its folder, the file in node_modules)
        self.files = {
            f"{folder}/{Path(relative).name}": (folder, root / relative)
            for folder, files in settings.NODE_STATIC_FILES.items()
            for relative in files
        }

    def check(self, **kwargs) -> list[CheckWarning]:
        return [
            CheckWarning(
                f"{path} is missing, so {name} is not served.",
                hint="Run `make install` (npm ci), which needs Node.js and npm: apt-get install nodejs npm.",
                id="portal.W001",
            )
            for name, (_folder, path) in self.files.items()
            if not path.is_file()
        ]

    def find(self, path: str, find_all: bool = False, **kwargs) -> str | list[str]:
        _folder, found = self.files.get(path, (None, None))
        if found is None or not found.is_file():
            return []
        searched_locations.append(str(found.parent))
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns):
        for folder, path in self.files.values():
            if path.is_file():
                storage = FileSystemStorage(location=path.parent)
                storage.prefix = folder  # collectstatic puts the file under its static folder
                yield path.name, storage
