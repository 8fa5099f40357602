"""Static files: WhiteNoise's compressed, content-hashed storage, hashed in every mode.

`collectstatic` writes each file under a name that carries a hash of its content
(`app.3f2a1c9e.css`) with a gzip copy beside it; WhiteNoise sends those with a ten-year,
immutable cache lifetime, gzipped to browsers that ask. A changed file gets a new name, so a
browser never keeps an old copy.

Django hashes names only when DEBUG is off. The embedded mode (`make run`, which runs
`collectstatic` first) is what field offices use on slow links, so names are hashed whatever
DEBUG says. A file that `collectstatic` has not seen (a fresh checkout, the tests) keeps its
own name and is served as it is.
"""

from django.core.files.storage import FileSystemStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name, force=False):
        clean_name = name.split("#", 1)[0].split("?", 1)[0]
        if self.hashed_files.get(self.hash_key(self.clean_name(clean_name))) is None:
            return FileSystemStorage.url(self, name)
        return super().url(name, force=True)
