import { useEffect, useState } from 'react'
import { listarUsuarios, type UsuarioResumo } from './adminClient'

export function UsuariosPage() {
  const [usuarios, setUsuarios] = useState<UsuarioResumo[]>([])
  const [carregando, setCarregando] = useState(true)

  useEffect(() => {
    listarUsuarios()
      .then(setUsuarios)
      .finally(() => setCarregando(false))
  }, [])

  if (carregando) return <p>Carregando usuários…</p>

  return (
    <table>
      <thead>
        <tr>
          <th>E-mail</th>
          <th>Último acesso</th>
        </tr>
      </thead>
      <tbody>
        {usuarios.map((u) => (
          <tr key={u.id}>
            <td>{u.email}</td>
            <td>{u.ultimoAcesso ? new Date(u.ultimoAcesso).toLocaleString('pt-BR') : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
