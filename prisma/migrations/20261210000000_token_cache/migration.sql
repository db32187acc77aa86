-- MSAL's token cache for App+User calls, kept between runs and shared by instances: Entra ID
-- replaces the refresh token at every use, and only the newest one keeps working. The data is
-- sealed (AES-256-GCM) with TOKEN_CACHE_KEY before it reaches the database.
CREATE TABLE "TokenCache" (
    "key" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TokenCache_pkey" PRIMARY KEY ("key")
);
