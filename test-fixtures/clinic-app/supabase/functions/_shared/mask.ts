/**
 * Máscaras para dados pessoais (LGPD): use antes de qualquer console.* que
 * precise identificar um paciente no log.
 */

/** 5511987654321 -> ******4321 */
export function maskPhone(telefone: string): string {
  const digitos = telefone.replace(/\D/g, '')
  return digitos.length <= 4 ? '****' : `${'*'.repeat(digitos.length - 4)}${digitos.slice(-4)}`
}

/** maria.souza@gmail.com -> m***@gmail.com */
export function maskEmail(email: string): string {
  const [usuario, dominio] = email.split('@')
  if (!usuario || !dominio) return '***'
  return `${usuario[0]}***@${dominio}`
}

/** 123.456.789-09 -> ***.***.789-09 */
export function maskCpf(cpf: string): string {
  const digitos = cpf.replace(/\D/g, '')
  if (digitos.length !== 11) return '***'
  return `***.***.${digitos.slice(6, 9)}-${digitos.slice(9)}`
}
