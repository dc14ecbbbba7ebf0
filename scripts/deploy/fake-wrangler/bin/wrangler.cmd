@rem The fake wrangler for tests (see ..\main.ts); put this folder first on PATH.
@node "%~dp0..\main.ts" %*
