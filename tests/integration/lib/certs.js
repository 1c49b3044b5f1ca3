// A throwaway certificate authority for the TLS tests, made with the `openssl` command line.
//
//   const ca = makeCertificateAuthority('test CA');                  // { dir, keyPath, certPath, cert }
//   const server = issueServerCertificate(ca, { san: 'IP:127.0.0.1,DNS:localhost' });   // { key, cert, ... }
//   const mock = await startMock({ tls: { key: server.key, cert: server.cert } });
//   ... the gateway gets env SSL_CERT_FILE=ca.certPath ...
//
// Keys are P-256 (fast to make). Everything lands in a temporary directory that lib/gateway.js removes
// when the test process exits.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { makeTempDir } from './gateway.js';

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args, cwd) {
  try {
    return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (error) {
    throw new Error(`openssl ${args.join(' ')} failed: ${error.stderr || error.message}`);
  }
}

// A self-signed CA certificate and its key.
export function makeCertificateAuthority(commonName = 'switchyard test CA') {
  const dir = makeTempDir('switchyard-ca-');
  const keyPath = path.join(dir, 'ca.key');
  const certPath = path.join(dir, 'ca.pem');
  openssl(
    [
      'req', '-x509', ...EC_KEY, '-keyout', keyPath, '-out', certPath, '-days', '2', '-sha256',
      '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-addext', 'subjectKeyIdentifier=hash',
    ],
    dir,
  );
  return { dir, keyPath, certPath, cert: fs.readFileSync(certPath, 'utf8') };
}

// A server key and a certificate for it, signed by `ca`, naming `san` (openssl syntax, e.g.
// 'IP:127.0.0.1,DNS:localhost'). The CSR goes through `openssl req`, the signature through `openssl x509`.
export function issueServerCertificate(ca, { san, commonName = 'switchyard test server', name = 'server' }) {
  const dir = makeTempDir('switchyard-cert-');
  const keyPath = path.join(dir, `${name}.key`);
  const csrPath = path.join(dir, `${name}.csr`);
  const certPath = path.join(dir, `${name}.pem`);
  const extPath = path.join(dir, `${name}.ext`);
  openssl(['req', '-new', ...EC_KEY, '-keyout', keyPath, '-out', csrPath, '-subj', `/CN=${commonName}`], dir);
  fs.writeFileSync(
    extPath,
    [
      `subjectAltName=${san}`,
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'),
  );
  openssl(
    [
      'x509', '-req', '-in', csrPath, '-CA', ca.certPath, '-CAkey', ca.keyPath,
      '-set_serial', `0x${crypto.randomBytes(8).toString('hex')}`,
      '-days', '1', '-sha256', '-extfile', extPath, '-out', certPath,
    ],
    dir,
  );
  return { dir, keyPath, certPath, key: fs.readFileSync(keyPath, 'utf8'), cert: fs.readFileSync(certPath, 'utf8') };
}
