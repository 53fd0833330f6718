# JointCase production image: Python app with the front-end built in, served by gunicorn.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN useradd --create-home --uid 1000 jointcase
COPY pyproject.toml constraints.txt README.md ./
RUN pip install --no-cache-dir -c constraints.txt -e .
COPY . .
COPY --from=frontend /app/node_modules/govuk-frontend/dist node_modules/govuk-frontend/dist
COPY --from=frontend /app/node_modules/@ministryofjustice/frontend/moj node_modules/@ministryofjustice/frontend/moj
COPY --from=frontend /app/static/build static/build
# collectstatic never connects: the database URL only has to be given (production refuses to start without one).
RUN DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=false DATABASE_URL=postgres://build-only@localhost/none \
    python manage.py collectstatic --noinput
USER jointcase
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
