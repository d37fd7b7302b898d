# The catalogue as an image for docker-compose.yml: gunicorn + whitenoise.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_ENV=production
WORKDIR /app
COPY pyproject.toml README.md ./
COPY . .
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["sh", "scripts/web-start.sh"]
