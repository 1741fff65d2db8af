package dev.redock.engine;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The JDK's default TLS context ({@link SSLContext#getDefault()}), made when it is first used. docker-java's transport makes
 * that context as it is built, for a local socket as well, where no TLS is ever spoken: setting up the JDK's TLS provider
 * and reading its trusted certificates, about a tenth of every CLI command's start. Given this for an engine on a local
 * socket, it makes nothing; should anything ever use it, it is the same context as before.
 */
final class TlsOnFirstUse extends SSLContext {

    TlsOnFirstUse() {
        super(new Spi(), null, "Default");
    }

    private static final class Spi extends SSLContextSpi {

        private SSLContext context;

        private synchronized SSLContext context() {
            if (context == null) {
                try {
                    context = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("The JDK has no default TLS context", e);
                }
            }
            return context;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            context().init(km, tm, sr);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context().getSupportedSSLParameters();
        }
    }
}
